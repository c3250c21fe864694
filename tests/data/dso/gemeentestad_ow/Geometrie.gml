<?xml version="1.0" encoding="utf-8"?>
<geo:GeoInformatieObjectVaststelling
   xmlns:basisgeo="http://www.geostandaarden.nl/basisgeometrie/1.0"
   xmlns:gio="https://standaarden.overheid.nl/stop/imop/gio/"
   xmlns:gml="http://www.opengis.net/gml/3.2"
   xmlns:geo="https://standaarden.overheid.nl/stop/imop/geo/"
   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
   xsi:schemaLocation="https://standaarden.overheid.nl/stop/imop/geo/ ../schemas/stop/imop-geo.xsd"
   schemaversie="1.0.1">
   <geo:context>
      <gio:GeografischeContext>
         <gio:achtergrondVerwijzing>top10nl</gio:achtergrondVerwijzing>
         <gio:achtergrondActualiteit>2019-01-01</gio:achtergrondActualiteit>
      </gio:GeografischeContext>
   </geo:context>
   <geo:vastgesteldeVersie>
      <geo:GeoInformatieObjectVersie>
         <geo:FRBRWork>/join/id/regdata/mnre1034/2019/GIO_civiele_explosieaandachtsgebieden_zoneA</geo:FRBRWork>
         <geo:FRBRExpression>/join/id/regdata/mnre1034/2019/GIO_civiele_explosieaandachtsgebieden_zoneA/nld@2019-12-01</geo:FRBRExpression>
         <geo:locaties>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53611PUNT-xx">
                     <basisgeo:id>C28AF779-7EDD-4A88-8B11-809798F53611PUNT</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53611PUNT-0">
                           <gml:pointMember>
                              <gml:Point>
                                 <gml:coordinates> 138189.291973878 424664.586667557
                                 </gml:coordinates>
                              </gml:Point>
                           </gml:pointMember>
                        </gml:MultiPoint>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53612PUNT-xx">
                     <basisgeo:id>C28AF779-7EDD-4A88-8B11-809798F53612PUNT</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53612PUNT-0">
                           <gml:pointMember>
                              <gml:Point>
                                 <gml:coordinates> 138189.291973878 424664.586667557
                                 </gml:coordinates>
                              </gml:Point>
                           </gml:pointMember>
                        </gml:MultiPoint>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53613PUNT-xx">
                     <basisgeo:id>C28AF779-7EDD-4A88-8B11-809798F53613PUNT</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53613PUNT-0">
                           <gml:pointMember>
                              <gml:Point>
                                 <gml:coordinates> 138189.291973878 424664.586667557
                                 </gml:coordinates>
                              </gml:Point>
                           </gml:pointMember>
                        </gml:MultiPoint>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53614PUNT-xx">
                     <basisgeo:id>C28AF779-7EDD-4A88-8B11-809798F53614PUNT</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53614PUNT-0">
                           <gml:pointMember>
                              <gml:Point>
                                 <gml:coordinates> 138189.291973878 424664.586667557
                                 </gml:coordinates>
                              </gml:Point>
                           </gml:pointMember>
                        </gml:MultiPoint>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53615PUNT-xx">
                     <basisgeo:id>C28AF779-7EDD-4A88-8B11-809798F53615PUNT</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiPoint srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-C28AF779-7EDD-4A88-8B11-809798F53615PUNT-0">
                           <gml:pointMember>
                              <gml:Point>
                                 <gml:coordinates> 138189.291973878 424664.586667557
                                 </gml:coordinates>
                              </gml:Point>
                           </gml:pointMember>
                        </gml:MultiPoint>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED-xx">
                     <basisgeo:id>A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED-0">
                           <gml:surfaceMember>
                              <gml:Polygon gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED-1">
                                 <gml:exterior>
                                    <gml:LinearRing
                                       gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED-2">
                                       <gml:posList>138189.291973878 424664.586667557 138330.1813784
                                          424712.302960418 138554.555403801 424598.429074509
                                          138934.732997256 424595.102643709 139068.936773216
                                          424523.441275136 138963.90400585 423863.769638232
                                          138097.427966576 424206.05521773 138142.308262013
                                          424434.281913822 138189.291973878
                                          424664.586667557</gml:posList>
                                    </gml:LinearRing>
                                 </gml:exterior>
                              </gml:Polygon>
                           </gml:surfaceMember>
                        </gml:MultiSurface>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB12GEBIED-xx">
                     <basisgeo:id>A0EA019E-3C96-4631-A76C-35BCF4D7AB12GEBIED</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB12GEBIED-0">
                           <gml:surfaceMember>
                              <gml:Polygon gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB12GEBIED-1">
                                 <gml:exterior>
                                    <gml:LinearRing
                                       gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB12GEBIED-2">
                                       <gml:posList>138189.291973878 424664.586667557 138330.1813784
                                          424712.302960418 138554.555403801 424598.429074509
                                          138934.732997256 424595.102643709 139068.936773216
                                          424523.441275136 138963.90400585 423863.769638232
                                          138097.427966576 424206.05521773 138142.308262013
                                          424434.281913822 138189.291973878
                                          424664.586667557</gml:posList>
                                    </gml:LinearRing>
                                 </gml:exterior>
                              </gml:Polygon>
                           </gml:surfaceMember>
                        </gml:MultiSurface>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB13GEBIED-xx">
                     <basisgeo:id>A0EA019E-3C96-4631-A76C-35BCF4D7AB13GEBIED</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB13GEBIED-0">
                           <gml:surfaceMember>
                              <gml:Polygon gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB13GEBIED-1">
                                 <gml:exterior>
                                    <gml:LinearRing
                                       gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB13GEBIED-2">
                                       <gml:posList>138189.291973878 424664.586667557 138330.1813784
                                          424712.302960418 138554.555403801 424598.429074509
                                          138934.732997256 424595.102643709 139068.936773216
                                          424523.441275136 138963.90400585 423863.769638232
                                          138097.427966576 424206.05521773 138142.308262013
                                          424434.281913822 138189.291973878
                                          424664.586667557</gml:posList>
                                    </gml:LinearRing>
                                 </gml:exterior>
                              </gml:Polygon>
                           </gml:surfaceMember>
                        </gml:MultiSurface>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB14GEBIED-xx">
                     <basisgeo:id>A0EA019E-3C96-4631-A76C-35BCF4D7AB14GEBIED</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB14GEBIED-0">
                           <gml:surfaceMember>
                              <gml:Polygon gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB14GEBIED-1">
                                 <gml:exterior>
                                    <gml:LinearRing
                                       gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB14GEBIED-2">
                                       <gml:posList>138189.291973878 424664.586667557 138330.1813784
                                          424712.302960418 138554.555403801 424598.429074509
                                          138934.732997256 424595.102643709 139068.936773216
                                          424523.441275136 138963.90400585 423863.769638232
                                          138097.427966576 424206.05521773 138142.308262013
                                          424434.281913822 138189.291973878
                                          424664.586667557</gml:posList>
                                    </gml:LinearRing>
                                 </gml:exterior>
                              </gml:Polygon>
                           </gml:surfaceMember>
                        </gml:MultiSurface>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>            
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB15GEBIED-xx">
                     <basisgeo:id>A0EA019E-3C96-4631-A76C-35BCF4D7AB15GEBIED</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:MultiSurface srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB15GEBIED-0">
                           <gml:surfaceMember>
                              <gml:Polygon gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB15GEBIED-1">
                                 <gml:exterior>
                                    <gml:LinearRing
                                       gml:id="id-A0EA019E-3C96-4631-A76C-35BCF4D7AB15GEBIED-2">
                                       <gml:posList>138189.291973878 424664.586667557 138330.1813784
                                          424712.302960418 138554.555403801 424598.429074509
                                          138934.732997256 424595.102643709 139068.936773216
                                          424523.441275136 138963.90400585 423863.769638232
                                          138097.427966576 424206.05521773 138142.308262013
                                          424434.281913822 138189.291973878
                                          424664.586667557</gml:posList>
                                    </gml:LinearRing>
                                 </gml:exterior>
                              </gml:Polygon>
                           </gml:surfaceMember>
                        </gml:MultiSurface>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53611LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53611LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53611LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53612LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53612LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53612LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53613LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53613LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53613LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53614LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53614LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53614LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53615LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53615LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53615LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
            <geo:Locatie>
               <geo:geometrie>
                  <basisgeo:Geometrie gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53616LIJN-xx">
                     <basisgeo:id>B28AF779-7EDD-4A88-8B11-809798F53616LIJN</basisgeo:id>
                     <basisgeo:geometrie>
                        <gml:LineString srsName="urn:ogc:def:crs:EPSG::28992"
                           gml:id="id-B28AF779-7EDD-4A88-8B11-809798F53616LIJN-0">
                           <gml:coordinates> 138189.291973878 424664.586667557 138189.291973878
                              424664.586667557 </gml:coordinates>
                        </gml:LineString>
                     </basisgeo:geometrie>
                  </basisgeo:Geometrie>
               </geo:geometrie>
            </geo:Locatie>
         </geo:locaties>
      </geo:GeoInformatieObjectVersie>
   </geo:vastgesteldeVersie>
</geo:GeoInformatieObjectVaststelling>
