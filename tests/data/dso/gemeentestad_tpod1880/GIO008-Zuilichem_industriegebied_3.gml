<?xml version="1.0" encoding="UTF-8"?>
<geo:GeoInformatieObjectVaststelling 
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="https://standaarden.overheid.nl/stop/imop/geo/ ../../../../../schema/STOP_vNext/onderhanden/imop-geo.xsd
  http://www.geostandaarden.nl/basisgeometrie/1.0 ../../../../../schema/STOP_vNext/onderhanden/Basisgeometrie.xsd"
  xmlns:geo="https://standaarden.overheid.nl/stop/imop/geo/"
  xmlns:gio="https://standaarden.overheid.nl/stop/imop/gio/"
  xmlns:data="https://standaarden.overheid.nl/stop/imop/data/"
  xmlns:rsc="https://standaarden.overheid.nl/stop/imop/resources/"
  xmlns:gml="http://www.opengis.net/gml/3.2"
  xmlns:basisgeo="http://www.geostandaarden.nl/basisgeometrie/1.0"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  schemaversie="@@@VERSION@@@">
  
  <geo:context>
    <gio:GeografischeContext>
      <gio:achtergrondVerwijzing>top10nl</gio:achtergrondVerwijzing>
      <gio:achtergrondActualiteit>2020-01-01</gio:achtergrondActualiteit>
    </gio:GeografischeContext>
  </geo:context>

  <geo:vastgesteldeVersie>
    <geo:GeoInformatieObjectVersie>
      <geo:FRBRWork>/join/id/regdata/gm0037/2019/Zuilichem_3</geo:FRBRWork>
      <geo:FRBRExpression>/join/id/regdata/gm0037/2019/Zuilichem_3/nld@2019-06-18;3520</geo:FRBRExpression>
      <geo:normlabel>meters boven maaiveld</geo:normlabel>
      <geo:normID>xx</geo:normID>
      <geo:locaties>
        <geo:featureMember>
        <geo:Locatie>
          <geo:geometrie>
            <basisgeo:Geometrie gml:id="id-954BA8CC-6E90-4698-BEEC-005A65C63E98">
              <basisgeo:id>954BA8CC-6E90-4698-BEEC-005A65C63E98</basisgeo:id>
              <basisgeo:geometrie>
                <gml:MultiSurface gml:id="id-954BA8CC-6E90-4698-BEEC-005A65C63E98-0"
                  srsName="urn:ogc:def:crs:EPSG::28992">
                  <gml:surfaceMember>
                    <gml:Polygon gml:id="id-954BA8CC-6E90-4698-BEEC-005A65C63E98-1">
                      <gml:exterior>
                        <gml:LinearRing>
                          <gml:posList>138000.0 423946.242 137892.152 423983.482 137826.108  423792.213 137877.113 423774.589 137868.65 423750.097 137897.771  423740.034 137897.066 423737.993 137896.991 423737.827 137896.931  423737.655 137896.887 423737.478 137896.858  423737.298 137896.845 423737.116 137896.848 423736.934 137896.867 423736.752 137896.901 423736.573 137896.952 423736.398 137897.017  423736.228 137897.097 423736.064 137897.191 423735.908 137897.298  423735.76 137897.418 423735.623 137897.549 423735.497 137897.691  423735.382 137897.843 423735.281 137898.003 423735.193 137898.169  423735.119 137898.342 423735.06 137898.519 423735.017 137908.015  423731.736 137908.181 423731.659 137908.352 423731.597 137908.529  423731.551 137908.709 423731.52 137908.891 423731.506 137909.073  423731.507 137909.255 423731.525 137909.434 423731.558 137909.61  423731.607 137909.78 423731.672 137909.945 423731.751 137910.101  423731.845 137910.249 423731.952 137910.387 423732.072 137910.514  423732.203 137910.628 423732.345 137910.73 423732.497 137910.818  423732.657 137910.891 423732.824 137910.949 423732.997 137910.992  423733.174 137913.158 423739.482 137908.902 423740.943 137915.899  423761.208 137966.847 423743.617 138000.0 423839.63 138032.891  423934.885 138000.0 423946.242</gml:posList>
                        </gml:LinearRing>
                      </gml:exterior>
                    </gml:Polygon>
                  </gml:surfaceMember>
                </gml:MultiSurface>
              </basisgeo:geometrie>
            </basisgeo:Geometrie>
          </geo:geometrie>
          <geo:kwantitatieveNormwaarde>7</geo:kwantitatieveNormwaarde>
        </geo:Locatie>
        </geo:featureMember>
        <geo:featureMember>
        <geo:Locatie>     
          <geo:geometrie>
            <basisgeo:Geometrie gml:id="id-EFAAD5E9-B181-4C22-9C3B-B290F4586D82">
              <basisgeo:id>EFAAD5E9-B181-4C22-9C3B-B290F4586D82</basisgeo:id>
              <basisgeo:geometrie>
                <gml:MultiSurface gml:id="id-EFAAD5E9-B181-4C22-9C3B-B290F4586D82-0"
                  srsName="urn:ogc:def:crs:EPSG::28992">
                  <gml:surfaceMember>
                    <gml:Polygon gml:id="id-EFAAD5E9-B181-4C22-9C3B-B290F4586D82-1">
                      <gml:exterior>
                        <gml:LinearRing>
                          <gml:posList>138626.407 424401.347 138639.706 424527.004 138620.613 424529.024 138622.986 424551.449 138439.021 424570.95 138439.913 424574.927 138437.541 424576.913 138432.297 424577.361 138431.411 424572.763 138425.414 424573.395 138425.309 424572.4 138420.336 424572.926 138420.432 424573.919 138414.237 424574.544 138414.04 424573.559 138409.054 424574.097 138409.161 424575.091 138403.269 424575.727 138408.784 424628.4 138255.256 424644.706 138233.875 424442.943 138626.407 424401.347</gml:posList>
                        </gml:LinearRing>
                      </gml:exterior>
                    </gml:Polygon>
                  </gml:surfaceMember>
                </gml:MultiSurface>
              </basisgeo:geometrie>
            </basisgeo:Geometrie>
          </geo:geometrie>
          <geo:kwantitatieveNormwaarde>13</geo:kwantitatieveNormwaarde>
        </geo:Locatie>
        </geo:featureMember>
      </geo:locaties>
    </geo:GeoInformatieObjectVersie>
  </geo:vastgesteldeVersie>
</geo:GeoInformatieObjectVaststelling>
